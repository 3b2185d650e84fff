// What has been typed and answered, printed once above the live area and left to the
// terminal's scrollback (Ink's <Static>), like any shell session.
import { Static } from 'ink';
import { TranscriptEntry, type NumberedEntry } from './TranscriptEntry.js';

export function Transcript({ entries, width }: { entries: NumberedEntry[]; width: number }) {
  return <Static items={entries}>{(entry) => <TranscriptEntry key={entry.id} entry={entry} width={width} />}</Static>;
}
