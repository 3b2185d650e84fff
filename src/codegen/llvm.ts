// The one place that loads llvm-bindings, so the rest of codegen imports a typed handle.
import { createRequire } from 'node:module';
import type * as LLVM from 'llvm-bindings';

const require = createRequire(import.meta.url);
export const llvm: typeof LLVM = require('llvm-bindings');
export type { LLVM };
