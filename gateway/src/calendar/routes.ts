import type { IncomingMessage, ServerResponse } from "node:http";
import type { Routes } from "@yhdyspinta/core";
import { dataOrThrow, loopbackExecutor } from "../loopback-graphql.ts";
import { HttpRouteError, sendHttpError, viewerOf, type HttpRouteOptions } from "../http-routes.ts";
import { deadlinesCalendar, meetingsCalendar, type CalendarDeadlines, type CalendarMeeting } from "./calendar.ts";

const MEETING_FIELDS = "id kind title startsAt endsAt location agenda group { id name kind }";

const COUNTY_FEED = `query CountyCalendar($code: ID!) {
  county(code: $code) { code nameFi }
  meetings(countyCode: $code) { ${MEETING_FIELDS} }
}`;

const GROUP_FEED = `query GroupCalendar($id: ID!) {
  cooperationGroup(id: $id) { id name county { code nameFi } meetings { ${MEETING_FIELDS} } }
}`;

const DEADLINES_FEED = `query CountyDeadlines($code: ID!) {
  county(code: $code) { code nameFi }
  groupAlerts(countyCode: $code, withinDays: 366) {
    closingRounds { closesOn round { id name } pendingNominators { municipality { nameFi } category { name } } }
    endingMemberships { id role endsOn group { id name } }
    endingTerms { id endsOn group { id name } term { label } }
  }
}`;

/** Where a meeting's link points: the county's dashboard page on this server. */
function origin(req: IncomingMessage): string {
  const host = req.headers.host && /^[\w.:[\]-]+$/.test(req.headers.host) ? req.headers.host : "localhost";
  return `http://${host}`;
}

/**
 * `GET /calendar/county/<code>.ics` and `GET /calendar/group/<id>.ics`:
 * iCalendar feeds of meetings read through the public GraphQL endpoint as the
 * caller, subscribable by URL. An unknown county or group is a 404.
 */
export function calendarRoutes(options: HttpRouteOptions): Routes {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") throw new HttpRouteError(405, "Calendar feeds are read with GET");
      await viewerOf(options, req);
      const url = new URL(req.url ?? "/", "http://localhost");
      const deadlines = /^\/calendar\/county\/([^/]+)\/deadlines\.ics$/.exec(url.pathname);
      if (deadlines) {
        const code = decodeURIComponent(deadlines[1]!);
        if (!/^\d{2}$/.test(code)) throw new HttpRouteError(404, `No county with code "${code}": a county code has two digits`);
        const execute = loopbackExecutor(req, req.headers.authorization);
        const data = dataOrThrow(
          await execute<{ county: { code: string; nameFi: string } | null; groupAlerts: CalendarDeadlines }>(DEADLINES_FEED, { code }),
          { code },
        );
        if (!data.county) throw new HttpRouteError(404, `No county with code "${code}"`);
        const body = deadlinesCalendar({
          name: `${data.county.nameFi}: määräajat`,
          description: `${data.county.nameFi}: nimeämiskierrosten määräajat, päättyvät jäsenyydet ja toimikaudet seuraavan vuoden ajalta`,
          deadlines: data.groupAlerts,
          link: `${origin(req)}/dashboard/?county=${encodeURIComponent(data.county.code)}`,
        });
        res.writeHead(200, {
          "content-type": "text/calendar; charset=utf-8",
          "content-disposition": `inline; filename="deadlines-${code}.ics"`,
          "cache-control": "no-cache",
        });
        res.end(req.method === "HEAD" ? undefined : body);
        return;
      }
      const match = /^\/calendar\/(county|group)\/([^/]+)\.ics$/.exec(url.pathname);
      if (!match) throw new HttpRouteError(404, "Calendar feeds are /calendar/county/<code>.ics, /calendar/county/<code>/deadlines.ics and /calendar/group/<id>.ics");
      const key = decodeURIComponent(match[2]!);
      const execute = loopbackExecutor(req, req.headers.authorization);
      const dashboard = (code: string) => `${origin(req)}/dashboard/?county=${encodeURIComponent(code)}`;
      let body: string;
      if (match[1] === "county") {
        if (!/^\d{2}$/.test(key)) throw new HttpRouteError(404, `No county with code "${key}": a county code has two digits`);
        const data = dataOrThrow(
          await execute<{ county: { code: string; nameFi: string } | null; meetings: CalendarMeeting[] }>(COUNTY_FEED, { code: key }),
          { code: key },
        );
        if (!data.county) throw new HttpRouteError(404, `No county with code "${key}"`);
        const county = data.county;
        body = meetingsCalendar({
          name: `${county.nameFi}: yhteistyöryhmien kokoukset`,
          description: `${county.nameFi}: hyvinvointialueen ja sen kumppanien yhteistyöryhmien kokoukset`,
          meetings: data.meetings,
          link: (m) => `${dashboard(county.code)}#meeting-${encodeURIComponent(m.id)}`,
        });
      } else {
        const data = dataOrThrow(
          await execute<{
            cooperationGroup: { id: string; name: string; county: { code: string; nameFi: string }; meetings: CalendarMeeting[] } | null;
          }>(GROUP_FEED, { id: key }),
          { id: key },
        );
        const group = data.cooperationGroup;
        if (!group) throw new HttpRouteError(404, `No cooperation group with id "${key}"`);
        body = meetingsCalendar({
          name: `${group.name}: kokoukset`,
          description: `${group.name} (${group.county.nameFi}): kokoukset`,
          meetings: group.meetings,
          link: (m) => `${dashboard(group.county.code)}#meeting-${encodeURIComponent(m.id)}`,
        });
      }
      res.writeHead(200, {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": `inline; filename="${match[1]}-${key.replace(/[^\w-]/g, "_")}.ics"`,
        "cache-control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      sendHttpError(res, error);
    }
  };
  return { "/calendar/*": handler };
}
