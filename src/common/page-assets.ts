import type { Response } from 'express';
import * as path from 'node:path';
import { PROJECT_ROOT } from './paths';

/** The stylesheet the connect page and the dashboard share (src/common/assets/base.css); each serves it under its own path. */
export const SHARED_STYLESHEET = 'base.css';

const CONTENT_TYPES: Record<string, string> = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

interface Asset {
  file: string;
  contentType: string;
}

/** The allow-list of one server-rendered page: its own files from `src/<folder>/assets/` plus the shared stylesheet. */
export class PageAssets {
  private readonly assets = new Map<string, Asset>();

  constructor(folder: string, own: readonly string[]) {
    const add = (name: string, dir: string) => {
      const contentType = CONTENT_TYPES[path.extname(name)];
      if (!contentType) throw new Error(`Page asset ${name}: only .js and .css files are served`);
      this.assets.set(name, { file: path.join(PROJECT_ROOT, 'src', dir, 'assets', name), contentType });
    };
    add(SHARED_STYLESHEET, 'common');
    for (const name of own) add(name, folder);
  }

  /** Sends the named asset and returns true, or returns false (nothing sent) when the name is not on the list. */
  send(res: Response, name: string): boolean {
    const asset = this.assets.get(name);
    if (!asset) return false;
    res.set({ 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
    res.sendFile(asset.file);
    return true;
  }
}
