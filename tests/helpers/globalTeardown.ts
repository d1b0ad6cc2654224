/** Stops the shared plan worker pool of the run (tests/helpers/globalSetup.ts). */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __planPool?: { close(): Promise<void> } }).__planPool?.close();
}
