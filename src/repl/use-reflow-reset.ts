// When the terminal gets narrower, it re-wraps what is on screen, and Ink's in-place
// redraw (which erases as many rows as it last wrote) leaves pieces of old frames behind.
// So on a shrink the screen and scrollback are cleared and the transcript is printed
// again: the returned key changes, and <Static> remounted under a new key prints it all.
import { useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';

const CLEAR_TERMINAL = '\x1b[2J\x1b[3J\x1b[H';
/** Resizes come in bursts while a window is dragged: act once it settles. */
const SETTLE_MS = 100;

export function useReflowReset(): number {
  const { stdout } = useStdout();
  const [key, setKey] = useState(0);
  const widest = useRef(stdout.columns || 80);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      const columns = stdout.columns || 80;
      if (columns >= widest.current) {
        widest.current = columns;
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        widest.current = stdout.columns || 80;
        stdout.write(CLEAR_TERMINAL);
        setKey((k) => k + 1);
      }, SETTLE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return key;
}
