// `kerasm info`: version, backend and the WebAssembly features found.
import { backendInfo } from '../../index';
import { expectPositionals, type Command, type Values } from '../command';
import { VERSION } from '../version';

export const info: Command = {
  name: 'info',
  summary: 'Print the version, the backend and the WebAssembly features found.',
  options: {},
  run: async (_values: Values, positionals: string[]) => {
    expectPositionals(info, positionals, 0);
    const b = backendInfo();
    console.log(`kerasm ${VERSION}`);
    console.log(`backend: ${b.name} (${b.features.join(', ')})`);
    console.log(`engine: node ${process.versions.node}`);
    console.log(`webassembly: simd ${b.simd ? 'yes' : 'no'}, relaxed-simd ${b.relaxedSimd ? 'yes' : 'no'}`);
    console.log(`override with KERASM_BACKEND=wasm-simd|wasm-relaxed|wasm`);
  },
};
