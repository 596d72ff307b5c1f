// A tiny fake HRIS for tests: an in-memory company per tenant and a connector
// for it that implements the whole HrisConnector contract with credential fields
// of its own (`tenant` + `token`). It is registered through the same provider as
// the real connectors (startTestGateway's `connectors`), so a test that connects
// it proves that src/ serves a tool it has never heard of.
export { fakeConnector } from './connector';
export { FakeHris } from './hris';
export { FAKE_TOOL, type FakeCredentials, type FakeDocument, type FakePerson } from './types';
