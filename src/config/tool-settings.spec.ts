import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { connectors } from '../../connectors/registry';
import { loadToolSettings } from './config';

/** The rows of docs/configuration.md's tool settings table: `variable → tool`. */
function documented(): Map<string, string> {
  const md = readFileSync(path.join(__dirname, '../../docs/configuration.md'), 'utf8');
  const section = /<!-- tool-settings:start -->([\s\S]*?)<!-- tool-settings:end -->/.exec(md)?.[1] ?? '';
  const rows = [...section.matchAll(/^\| `([A-Z0-9_]+)` \| `([a-z0-9_-]+)` \|/gm)];
  return new Map(rows.map((r) => [r[1], r[2]]));
}

describe('tool settings', () => {
  it('every ToolSetting of every registered connector is documented in docs/configuration.md, and nothing else is', () => {
    const declared = new Map<string, string>();
    for (const [tool, c] of Object.entries(connectors)) for (const s of c.settings) declared.set(s.env, tool);
    expect([...documented().entries()].sort()).toEqual([...declared.entries()].sort());
  });

  it('reads each tool’s variables into its own settings; URLs lose trailing slashes and must be http(s)', () => {
    const tools = {
      a: {
        settings: [
          { key: 'baseUrl', env: 'A_URL', kind: 'url' as const, description: '' },
          { key: 'id', env: 'A_ID', kind: 'string' as const, description: '' },
        ],
      },
      b: { settings: [{ key: 'baseUrl', env: 'B_URL', kind: 'url' as const, description: '' }] },
    };
    expect(loadToolSettings({ A_URL: 'https://a.example//', A_ID: ' 42 ' }, tools)).toEqual({
      a: { baseUrl: 'https://a.example', id: '42' },
      b: { baseUrl: undefined },
    });
    expect(() => loadToolSettings({ B_URL: 'ftp://b.example' }, tools)).toThrow(/B_URL/);
    expect(() => loadToolSettings({ B_URL: 'not a url' }, tools)).toThrow(/B_URL/);
  });
});
