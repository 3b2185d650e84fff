// delete(@m[k]): removes one key, in the kernel, at once.
import { E } from '../diagnostics/catalogue.js';
import { argumentCount, type CallStatement } from './call.js';

export const deleteFunction: CallStatement = {
  name: 'delete',
  signature: 'delete(@m[k])',
  doc: 'removes one key, at once',
  check(c) {
    if (!argumentCount(c, 1, 1, this.signature)) return;
    const arg = c.call.args[0];
    const info = c.mapArgument(arg, true);
    if (!info || arg.kind !== 'Map') return;
    if (info.keyTypes.length === 0) c.report(E.BadArgument, `${info.displayName} has no keys: use clear(${info.displayName}) to empty it`, arg.span);
  },
  emit({ call, deleteKey }) {
    const ref = call.args[0];
    if (ref.kind !== 'Map') throw new Error('internal: delete() of a non-map');
    deleteKey(ref);
  },
};
