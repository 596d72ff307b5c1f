import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../common/paths';
import { gatewayOpenApiDocument } from './document';

/** `npm run openapi` writes openapi/openapi.json; `--check` fails when the checked-in file is stale. */
const target = path.join(PROJECT_ROOT, 'openapi', 'openapi.json');
const generated = JSON.stringify(gatewayOpenApiDocument(), null, 2) + '\n';

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== generated) {
    process.stderr.write('openapi/openapi.json is out of date with the code. Run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi/openapi.json matches the code.\n');
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, generated);
  process.stdout.write(`wrote ${path.relative(PROJECT_ROOT, target)}\n`);
}
