import "reflect-metadata";
import { createMigration } from "@yhdyspinta/core";
import { organisationsService } from "./service.ts";

await createMigration(organisationsService, new URL("./migrations", import.meta.url).pathname, process.argv[2]);
