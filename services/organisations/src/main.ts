import "reflect-metadata";
import { runServiceProcess } from "@yhdyspinta/core";
import { organisationsService } from "./service.ts";

await runServiceProcess(organisationsService);
