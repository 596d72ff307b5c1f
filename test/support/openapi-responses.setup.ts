// Fails the test during which a test gateway answered outside openapi/openapi.json
// (test/support/openapi-responses.ts records the mismatches; startTestGateway installs the check).
import { takeResponseMismatches } from './openapi-responses';

function failOnMismatches(): void {
  const found = takeResponseMismatches();
  if (found) throw new Error(found);
}

afterEach(failOnMismatches);
// Requests made in beforeAll/afterAll hooks, and after the last test.
afterAll(failOnMismatches);
