import "./workers.ts";
import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/style.css";
import "./page.css";
import { setUpChrome } from "../chrome.ts";
import { README_EXAMPLE, SAVED_VIEWS } from "../views.ts";
import { keepAccessible } from "./accessible.ts";
import { operationToRun } from "./operation.ts";

// The surrounding page in the chosen language; GraphiQL itself is English (lang="en" on its container).
const { t } = setUpChrome();
document.title = t.explorerTitle;

// The GraphQL endpoint of the gateway that served this page.
const gatewayFetcher = createGraphiQLFetcher({ url: new URL("/graphql", location.href).toString() });

const fetcher: Fetcher = (params, options) => gatewayFetcher({ ...params, operationName: operationToRun(params.query, params.operationName) }, options);

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// One tab per committed view with its example variables, then the README's
// example. GraphiQL opens them when it has no saved tabs in this browser.
const defaultTabs = [
  { query: README_EXAMPLE },
  ...SAVED_VIEWS.map((view) => ({ query: `# ${view.title} (views/${view.name}.graphql)\n${view.document}`, variables: json(view.variables) })),
];

const HEADERS_HINT = json({});

const root = document.getElementById("graphiql");
if (!root) throw new Error("#graphiql missing");
keepAccessible(root);
createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={defaultTabs}
      defaultHeaders={HEADERS_HINT}
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
      defaultEditorToolsVisibility="variables"
    >
      <GraphiQL.Logo>yhdyspinta</GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
