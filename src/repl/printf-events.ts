// printf events: Session.onPrintf delivers each printf() line (and each print(@m) the
// program runs, as the map's text) as it arrives; the REPL's events pane listens to
// Engine.onEvent, fed from here. A session without onPrintf (a fake) yields nothing.

export type PrintfListener = (text: string) => void;

interface SessionWithPrintf {
  onPrintf(listener: PrintfListener): () => void;
}

function hasPrintf(session: object): session is SessionWithPrintf {
  return typeof (session as Partial<SessionWithPrintf>).onPrintf === 'function';
}

export function connectPrintfEvents(session: object, listener: PrintfListener): () => void {
  if (hasPrintf(session)) return session.onPrintf(listener);
  return () => {};
}
