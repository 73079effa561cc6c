export { planningService } from "./service.ts";
