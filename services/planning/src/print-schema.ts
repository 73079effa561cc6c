import "reflect-metadata";
import { serviceSdl } from "@yhdyspinta/core";
import { planningService } from "./service.ts";

process.stdout.write(await serviceSdl(planningService));
