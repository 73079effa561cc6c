import ical, { ICalCalendarMethod } from "ical-generator";

/**
 * Europe/Helsinki as a VTIMEZONE (EET/EEST with the EU's change at 01:00 UTC
 * on the last Sundays of March and October, the rule in force since 1983).
 */
export const HELSINKI_VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Helsinki",
  "X-LIC-LOCATION:Europe/Helsinki",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0300",
  "TZNAME:EEST",
  "DTSTART:19700329T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0300",
  "TZOFFSETTO:+0200",
  "TZNAME:EET",
  "DTSTART:19701025T040000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
].join("\r\n");

const HELSINKI_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Helsinki",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  hourCycle: "h23",
});

/**
 * An instant that reads as Helsinki wall-clock time. ical-generator writes a
 * plain Date under a TZID with the process's own time zone; a date of this
 * shape (the interface of @date-fns/tz's TZDate) it writes in Helsinki time
 * whatever the server's zone is.
 */
class HelsinkiTime extends Date {
  readonly internal: Date;
  readonly timeZone = "Europe/Helsinki";
  private readonly wall: Record<string, number>;

  constructor(iso: string) {
    super(iso);
    this.internal = new Date(iso);
    this.wall = Object.fromEntries(
      HELSINKI_PARTS.formatToParts(this.internal)
        .filter((p) => p.type !== "literal")
        .map((p) => [p.type, Number(p.value)]),
    );
  }
  withTimeZone(): HelsinkiTime {
    return this;
  }
  tzComponents(): Record<string, number> {
    return this.wall;
  }
  override getFullYear(): number {
    return this.wall["year"]!;
  }
  override getMonth(): number {
    return this.wall["month"]! - 1;
  }
  override getDate(): number {
    return this.wall["day"]!;
  }
  override getHours(): number {
    return this.wall["hour"]!;
  }
  override getMinutes(): number {
    return this.wall["minute"]!;
  }
  override getSeconds(): number {
    return this.wall["second"]!;
  }
}

/** Meeting kinds in Finnish, as the groups' own documents call them. */
export const MEETING_KIND_FI: Record<string, string> = {
  ORGANISING: "Järjestäytymiskokous",
  REGULAR: "Kokous",
  ANNUAL_NEGOTIATION: "Hyvinvoinnin ja terveyden edistämisen vuosineuvottelu",
};

/** Group kinds in Finnish. */
export const GROUP_KIND_FI: Record<string, string> = {
  COOPERATION_GROUP: "Yhteistyöryhmä",
  PARTNERSHIP_GROUP: "Kumppanuusryhmä",
  ADVISORY_BOARD: "Neuvottelukunta",
  LIAISON_NETWORK: "Yhdyshenkilöverkosto",
  PARTNERSHIP_TABLE: "Kumppanuuspöytä",
};

export interface CalendarMeeting {
  id: string;
  kind: string;
  title: string | null;
  startsAt: string;
  endsAt: string | null;
  location: string | null;
  agenda: string[];
  group: { id: string; name: string; kind: string };
}

/**
 * An iCalendar feed: one VEVENT per meeting with a UID that stays the same
 * between fetches (the meeting's id), times in Europe/Helsinki with its
 * VTIMEZONE, a Finnish summary (group and meeting kind) and a link back.
 */
export function meetingsCalendar(options: {
  name: string;
  description: string;
  meetings: CalendarMeeting[];
  link: (meeting: CalendarMeeting) => string;
  stamp?: Date;
}): string {
  const calendar = ical({
    name: options.name,
    description: options.description,
    prodId: { company: "yhdyspinta", product: "meeting-calendar", language: "FI" },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: (tz) => (tz === "Europe/Helsinki" ? HELSINKI_VTIMEZONE : null) },
    ttl: 60 * 60,
  });
  // DTSTAMP: under METHOD:PUBLISH, when this instance of the calendar was
  // made (RFC 5545, 3.8.7.2): the feed's generation time, never the meeting's future start.
  const stamp = options.stamp ?? new Date();
  for (const meeting of options.meetings) {
    const kind = MEETING_KIND_FI[meeting.kind] ?? meeting.kind;
    const description = [
      meeting.title && meeting.title !== kind ? meeting.title : null,
      `${GROUP_KIND_FI[meeting.group.kind] ?? meeting.group.kind}: ${meeting.group.name}`,
      meeting.agenda.length > 0 ? `Asialista:\n${meeting.agenda.map((item, i) => `${i + 1}. ${item}`).join("\n")}` : null,
    ].filter((line): line is string => line !== null);
    calendar.createEvent({
      id: `${meeting.id}@yhdyspinta`,
      start: new HelsinkiTime(meeting.startsAt),
      ...(meeting.endsAt ? { end: new HelsinkiTime(meeting.endsAt) } : {}),
      timezone: "Europe/Helsinki",
      stamp,
      summary: `${meeting.group.name}: ${kind}`,
      description: description.join("\n\n"),
      ...(meeting.location ? { location: meeting.location } : {}),
      url: options.link(meeting),
    });
  }
  return calendar.toString();
}

/** Membership roles in Finnish. */
const ROLE_FI: Record<string, string> = {
  CHAIR: "puheenjohtaja",
  VICE_CHAIR: "varapuheenjohtaja",
  MEMBER: "jäsen",
  DEPUTY: "varajäsen",
  SPEAKING_RIGHT: "puheoikeudellinen jäsen",
  SECRETARY: "sihteeri",
  COORDINATOR: "koordinaattori",
};

export interface CalendarDeadlines {
  closingRounds: {
    closesOn: string;
    round: { id: string; name: string };
    pendingNominators: { municipality: { nameFi: string } | null; category: { name: string } | null }[];
  }[];
  endingMemberships: { id: string; role: string; endsOn: string; group: { id: string; name: string } }[];
  /** Group terms ending in the window (no next term started yet). */
  endingTerms: { id: string; endsOn: string | null; group: { id: string; name: string }; term: { label: string } }[];
}

/**
 * The deadlines of `groupAlerts` as all-day events: a round's closing day
 * (with the nominators that have not answered) and a membership's last day
 * (group and role, no person) and a group term's last day. UIDs name the record and the day, so a moved
 * deadline is a new event.
 */
export function deadlinesCalendar(options: { name: string; description: string; deadlines: CalendarDeadlines; link: string; stamp?: Date }): string {
  const calendar = ical({
    name: options.name,
    description: options.description,
    prodId: { company: "yhdyspinta", product: "deadline-calendar", language: "FI" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  const stamp = options.stamp ?? new Date();
  const day = (date: string) => new Date(`${date}T00:00:00Z`);
  for (const { round, closesOn, pendingNominators } of options.deadlines.closingRounds) {
    const pending = pendingNominators.map((n) => n.municipality?.nameFi ?? n.category?.name ?? "?");
    calendar.createEvent({
      id: `round-${round.id}-closes-${closesOn}@yhdyspinta`,
      start: day(closesOn),
      allDay: true,
      stamp,
      summary: `Nimeämisaika päättyy: ${round.name}`,
      description: pending.length > 0 ? `Vastaamatta (${pending.length}): ${pending.join(", ")}` : "Kaikki nimeäjät ovat vastanneet.",
      url: options.link,
    });
  }
  for (const m of options.deadlines.endingMemberships) {
    calendar.createEvent({
      id: `membership-${m.id}-ends-${m.endsOn}@yhdyspinta`,
      start: day(m.endsOn),
      allDay: true,
      stamp,
      summary: `${m.group.name}: ${ROLE_FI[m.role] ?? m.role} – jäsenyys päättyy`,
      description: `Jäsenyyden viimeinen päivä ${m.endsOn}.`,
      url: options.link,
    });
  }
  for (const t of options.deadlines.endingTerms) {
    if (t.endsOn === null) continue;
    calendar.createEvent({
      id: `term-${t.id}-ends-${t.endsOn}@yhdyspinta`,
      start: day(t.endsOn),
      allDay: true,
      stamp,
      summary: `${t.group.name}: toimikausi ${t.term.label} päättyy`,
      description: `Toimikauden viimeinen päivä ${t.endsOn}; seuraavaa toimikautta ei ole aloitettu.`,
      url: options.link,
    });
  }
  return calendar.toString();
}
