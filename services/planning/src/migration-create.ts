import "reflect-metadata";
import { createMigration } from "@yhdyspinta/core";
import { planningService } from "./service.ts";

await createMigration(planningService, new URL("./migrations", import.meta.url).pathname, process.argv[2]);
