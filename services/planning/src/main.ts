import "reflect-metadata";
import { runServiceProcess } from "@yhdyspinta/core";
import { planningService } from "./service.ts";

await runServiceProcess(planningService);
