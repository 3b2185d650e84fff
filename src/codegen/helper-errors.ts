// -k: a helper call that failed is sent as a record at once, with its return value and
// its place in the program, as bpftrace -k / -kk warns (docs/usage.md, "-k"). Without -k
// no site is made and no code is emitted: the failure is handled as it always is (a full
// map counted for NT0507, a bad pointer read as zero).
import type { HelperErrorSite } from '../model/compiled-program.js';
import type { Span } from '../model/ast.js';
import { RECORD_HEADER_SIZE, RecordKind } from '../model/event-records.js';
import { emitRecord } from './events.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';

/** At the current insertion point (the failure's branch): reports `result` for this site, if -k is on. */
export function reportHelperError(f: FunctionContext, helper: HelperErrorSite['helper'], result: LLVM.Value, at: Span | undefined, map?: number): void {
  const sites = f.outputs.helperErrorSites;
  if (!sites) return;
  const site: HelperErrorSite = { id: sites.length, helper, ...(map !== undefined && { map }), line: at?.start.line ?? 0, column: at?.start.column ?? 0 };
  sites.push(site);
  emitRecord(f, RecordKind.helperError, site.id, 8, (record) => f.storeInt(record, RECORD_HEADER_SIZE, 64, result));
}

/** Reports `result` (a helper's return value) when it is not 0, if -k is on. */
export function reportIfHelperFailed(f: FunctionContext, helper: HelperErrorSite['helper'], result: LLVM.Value, at: Span | undefined): void {
  if (!f.outputs.helperErrorSites) return;
  const { m } = f;
  const { b } = m;
  const failed = f.newBlock(`${helper}_failed`);
  const done = f.newBlock(`${helper}_done`);
  b.CreateCondBr(b.CreateICmpNE(result, m.i64Const(0)), failed, done);
  b.SetInsertPoint(failed);
  reportHelperError(f, helper, result, at);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}
