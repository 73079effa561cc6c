import "reflect-metadata";
import { runServiceCli } from "@yhdyspinta/core";
import { organisationsService } from "./service.ts";

await runServiceCli(organisationsService);
