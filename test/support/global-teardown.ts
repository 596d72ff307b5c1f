export default async function globalTeardown(): Promise<void> {
  // Each test file drops its own database; nothing shared to clean up.
}
