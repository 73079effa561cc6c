// Monaco runs its language services in web workers; the build bundles each
// one next to explorer.js (no CDN). Must run before the editor is created.
const workerUrl = (name: string) => new URL(`./${name}.worker.js`, import.meta.url);

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    switch (label) {
      case "graphql":
        return new Worker(workerUrl("graphql"), { name: label });
      case "json":
        return new Worker(workerUrl("json"), { name: label });
      default:
        return new Worker(workerUrl("editor"), { name: label });
    }
  },
};
