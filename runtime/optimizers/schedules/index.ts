// Keras's keras.optimizers.schedules: `import { schedules } from 'kerasm'`.
export { LearningRateSchedule } from './learning_rate_schedule';
export { ExponentialDecay } from './exponential_decay';
export type { ExponentialDecayArgs } from './exponential_decay';
export { PiecewiseConstantDecay } from './piecewise_constant_decay';
export type { PiecewiseConstantDecayArgs } from './piecewise_constant_decay';
export { CosineDecay } from './cosine_decay';
export type { CosineDecayArgs } from './cosine_decay';
export { PolynomialDecay } from './polynomial_decay';
export type { PolynomialDecayArgs } from './polynomial_decay';
export { InverseTimeDecay } from './inverse_time_decay';
export type { InverseTimeDecayArgs } from './inverse_time_decay';
export { learningRateScheduleFromConfig, registerLearningRateSchedule, serializeLearningRateSchedule } from './registry';
export type { ScheduleFactory, ScheduleSpec } from './registry';
