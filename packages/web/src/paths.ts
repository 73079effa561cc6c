import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of this package. */
export const packageDir = fileURLToPath(new URL("../", import.meta.url));
/** Where the bundled pages go (git-ignored). */
export const webDistDir = join(packageDir, "dist");
