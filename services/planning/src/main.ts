import "reflect-metadata";
import { runServiceCli } from "@yhdyspinta/core";
import { planningService } from "./service.ts";

await runServiceCli(planningService);
