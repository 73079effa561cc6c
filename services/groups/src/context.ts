import type { BaseContext } from "@yhdyspinta/core";
import type { Loaders } from "./loaders.ts";

export type Context = BaseContext<Loaders>;
