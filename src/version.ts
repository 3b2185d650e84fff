// nettrace's version, from its package.json: the nearest one above this module, which is
// found from dist/version.js and from the bundle in dist/bundle/ alike.
import { existsSync, readFileSync } from 'node:fs';

function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); dir.pathname !== '/'; dir = new URL('../', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'unknown';
}

export const VERSION: string = packageVersion();
