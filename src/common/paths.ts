import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, whether running from src/ (tests) or dist/src/ (build). */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || fs.existsSync(path.join(dir, 'tsconfig.build.json')) === false) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('Cannot locate the project root (package.json)');
    dir = up;
  }
  return dir;
})();

export const PACKAGE_VERSION: string = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version;
