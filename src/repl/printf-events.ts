// HOOK POINT: printf events.
//
// The runtime has no event API yet (issue: printf through a ring buffer). When Session
// grows one, this is the only place to connect it: the REPL's events pane already
// listens to Engine.onEvent, fed from here.
//
// Expected shape (proposed to the runtime's owner): a method on Session
//   onPrintf(listener: (text: string) => void): () => void
// that calls the listener with each formatted printf line and returns an unsubscribe
// function. Until it exists, this returns a no-op and the pane stays hidden.

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
