// The recurrent layers and wrappers; importing this module registers them for configs.
export { SimpleRNN, type SimpleRNNArgs } from './simple_rnn';
export { LSTM, type LSTMArgs } from './lstm';
export { GRU, type GRUArgs } from './gru';
export { Bidirectional, type BidirectionalArgs, type MergeMode } from './bidirectional';
export { TimeDistributed } from './time_distributed';
export { Orthogonal } from './orthogonal';
export type { BaseRNN, BaseRNNArgs, RNNCallContext } from './base_rnn';
