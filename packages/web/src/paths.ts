import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** Root of this package (this file runs from `src/` or, compiled, from `dist/lib/`). */
export const packageDir = /[\\/]dist[\\/]lib[\\/]$/.test(here) ? join(here, "../..") : join(here, "..");
/** Where the bundled pages go (git-ignored); the compiled server-side code is in `dist/lib`. */
export const webDistDir = join(packageDir, "dist", "pages");
