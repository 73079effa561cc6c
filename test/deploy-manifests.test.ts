import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

/**
 * The Kubernetes manifests in deploy/kubernetes: every resource validates
 * against the Kubernetes OpenAPI schemas (kubernetes-models), every file a
 * kustomization names exists, every patch applies, and what each overlay
 * renders still validates and keeps the properties the deployment relies on.
 */
const root = fileURLToPath(new URL("../deploy/kubernetes/", import.meta.url));

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: unknown };

function readYaml(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as unknown;
  }).filter((doc) => doc !== null);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return entry.endsWith(".yaml") ? [path] : [];
  });
}

/** The API groups the manifests use. */
const MODELS: Record<string, () => Promise<unknown>> = {
  v1: () => import("kubernetes-models/v1"),
  "apps/v1": () => import("kubernetes-models/apps/v1"),
  "batch/v1": () => import("kubernetes-models/batch/v1"),
  "autoscaling/v2": () => import("kubernetes-models/autoscaling/v2"),
  "networking.k8s.io/v1": () => import("kubernetes-models/networking.k8s.io/v1"),
  "policy/v1": () => import("kubernetes-models/policy/v1"),
};

/** Validates one resource with the model class of its apiVersion and kind; returns the error text or null. */
async function validateResource(resource: Manifest): Promise<string | null> {
  const group = resource.apiVersion;
  const load = MODELS[group];
  if (!load) return `unknown apiVersion ${group}`;
  const module = (await load()) as Record<string, unknown>;
  const Model = module[resource.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (!Model) return `unknown kind ${resource.kind} in ${group}`;
  try {
    new Model(resource).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: { path: string; target?: { kind?: string; name?: string } }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  labels?: { pairs: Record<string, string> }[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Strategic-merge for the map-only patches used here (lists are replaced). */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const existing = target[key];
    if (isObject(existing) && isObject(value)) merge(existing, value);
    else target[key] = structuredClone(value);
  }
}

/** JSON 6902 `replace`: the path must already exist. */
function replaceAt(target: unknown, path: string, value: unknown): void {
  const parts = path.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node = target as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null) throw new Error(`path ${path} does not exist`);
    node = next as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  if (!(last in node)) throw new Error(`path ${path} does not exist`);
  node[last] = structuredClone(value);
}

/** Renders a kustomization directory as kustomize would for the features used here. */
function render(dir: string): Manifest[] {
  const file = join(dir, "kustomization.yaml");
  expect(existsSync(file), `${relative(root, file)} exists`).toBe(true);
  const k = readYaml(file)[0] as Kustomization;
  const out: Manifest[] = [];
  for (const entry of k.resources ?? []) {
    const path = join(dir, entry);
    expect(existsSync(path), `${relative(root, dir)} names ${entry}, which exists`).toBe(true);
    if (statSync(path).isDirectory()) out.push(...render(path));
    else out.push(...(readYaml(path) as Manifest[]));
  }
  for (const patch of k.patches ?? []) {
    const path = join(dir, patch.path);
    expect(existsSync(path), `${relative(root, dir)} names patch ${patch.path}, which exists`).toBe(true);
    const body = readYaml(path)[0];
    if (Array.isArray(body)) {
      const targets = out.filter((r) => (!patch.target?.kind || r.kind === patch.target.kind) && (!patch.target?.name || r.metadata.name === patch.target.name));
      expect(targets.length, `patch ${patch.path} targets something`).toBeGreaterThan(0);
      for (const target of targets) {
        for (const op of body as { op: string; path: string; value: unknown }[]) {
          expect(op.op).toBe("replace");
          replaceAt(target, op.path, op.value);
        }
      }
    } else {
      const p = body as Manifest;
      const target = out.find((r) => r.kind === p.kind && r.metadata.name === p.metadata.name);
      expect(target, `patch ${patch.path} matches ${p.kind}/${p.metadata.name}`).toBeDefined();
      merge(target as Record<string, unknown>, p as Record<string, unknown>);
    }
  }
  for (const resource of out) {
    if (k.namespace && resource.kind !== "Namespace") resource.metadata.namespace = k.namespace;
    for (const { pairs } of k.labels ?? []) resource.metadata.labels = { ...resource.metadata.labels, ...pairs };
    for (const image of k.images ?? []) {
      for (const container of podSpec(resource)?.containers ?? []) {
        if (container.image === image.name || container.image.startsWith(`${image.name}:`)) {
          container.image = `${image.newName ?? image.name}:${image.newTag ?? "latest"}`;
        }
      }
    }
  }
  return out;
}

interface Container {
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}

function podSpec(resource: Manifest): PodSpec | undefined {
  const spec = resource["spec"] as { template?: { spec?: PodSpec } } | undefined;
  return spec?.template?.spec;
}

const files = yamlFiles(root);
const overlays = ["dev", "production"];
const APPS = ["gateway", "organisations", "groups", "planning"];
const SUBGRAPHS = ["organisations", "groups", "planning"];

describe("Kubernetes manifests", () => {
  it("has every resource file valid against the Kubernetes schemas", async () => {
    const problems: string[] = [];
    let validated = 0;
    for (const file of files) {
      for (const doc of readYaml(file)) {
        if (Array.isArray(doc)) continue; // JSON 6902 patch, checked when an overlay applies it
        const resource = doc as Manifest;
        if (resource.kind === "Kustomization") continue;
        const partial = overlays.some((o) => file.startsWith(join(root, "overlays", o))) && !["namespace.yaml", "disruption-budgets.yaml"].some((f) => file.endsWith(f));
        if (partial) continue; // strategic-merge patch, validated once merged
        const error = await validateResource(resource);
        validated += 1;
        if (error) problems.push(`${relative(root, file)} ${resource.kind}/${resource.metadata?.name}: ${error}`);
      }
    }
    expect(problems).toEqual([]);
    expect(validated).toBeGreaterThanOrEqual(APPS.length * 2 + 4);
  });

  it("rejects an invalid resource (the validation is real)", async () => {
    const deployment = (readYaml(join(root, "base/gateway.yaml")) as Manifest[]).find((r) => r.kind === "Deployment")!;
    const broken = structuredClone(deployment) as Manifest & { spec: { replicas: unknown } };
    broken.spec.replicas = "two";
    expect(await validateResource(broken)).toMatch(/replicas/);
  });

  it.each(overlays)("renders overlay %s to valid resources with replicas, probes, limits and no root", async (overlay) => {
    const rendered = render(join(root, "overlays", overlay));
    const problems: string[] = [];
    for (const resource of rendered) {
      const error = await validateResource(resource);
      if (error) problems.push(`${resource.kind}/${resource.metadata.name}: ${error}`);
    }
    expect(problems).toEqual([]);
    const namespace = rendered.find((r) => r.kind === "Namespace")!.metadata.name;
    expect(rendered.filter((r) => r.kind !== "Namespace").every((r) => r.metadata.namespace === namespace)).toBe(true);

    for (const app of APPS) {
      const deployment = rendered.find((r) => r.kind === "Deployment" && r.metadata.name === app);
      expect(deployment, `Deployment ${app}`).toBeDefined();
      expect((deployment!["spec"] as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
      const pod = podSpec(deployment!)!;
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      const [container] = pod.containers;
      expect(container!.args).toEqual([app]);
      expect(container!.image).not.toBe("yhdyspinta");
      expect(container!.readinessProbe?.httpGet?.path).toBe("/ready");
      expect(container!.livenessProbe?.httpGet?.path).toBe("/health");
      expect(container!.resources?.requests?.["cpu"]).toBeDefined();
      expect(container!.resources?.limits?.["memory"]).toBeDefined();
      expect(container!.securityContext?.allowPrivilegeEscalation).toBe(false);
      expect(rendered.some((r) => r.kind === "Service" && r.metadata.name === app)).toBe(true);
      // Secrets are referenced, never written: no literal database URL or internal secret.
      for (const env of container!.env ?? []) {
        if (/DATABASE_URL$|INTERNAL_AUTH_SECRET/.test(env.name)) expect(env.valueFrom?.secretKeyRef?.name, env.name).toBeDefined();
      }
    }
    expect(rendered.filter((r) => r.kind === "Secret")).toEqual([]);
    const autoscaled = rendered.filter((r) => r.kind === "HorizontalPodAutoscaler").map((r) => (r["spec"] as { scaleTargetRef: { name: string } }).scaleTargetRef.name);
    expect(autoscaled.sort()).toEqual(["gateway", "groups"]);
    const job = rendered.find((r) => r.kind === "Job");
    expect(podSpec(job!)!.containers[0]!.args).toEqual(["migrate"]);

    // The gateway and the other subgraphs (reference checks on writes) reach the subgraphs; nothing else in the namespace does.
    const policy = rendered.find((r) => r.kind === "NetworkPolicy")! as Manifest & {
      spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[] };
    };
    const selects = (labels: Record<string, string> | undefined, selector: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels?.[k] === v);
    const podLabels = (name: string) =>
      (rendered.find((r) => r.kind === "Deployment" && r.metadata.name === name)!["spec"] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    for (const subgraph of SUBGRAPHS) expect(selects(podLabels(subgraph), policy.spec.podSelector.matchLabels)).toBe(true);
    expect(selects(podLabels("gateway"), policy.spec.podSelector.matchLabels)).toBe(false);
    const allowed = policy.spec.ingress.flatMap((rule) => rule.from.flatMap((f) => (f.podSelector ? [f.podSelector.matchLabels] : [])));
    expect(APPS.filter((app) => allowed.some((sel) => selects(podLabels(app), sel))).sort()).toEqual([...APPS].sort());

    // Every process is told where every subgraph is, and each URL names a Service on its port:
    // a subgraph without the others' URLs would skip the existence checks of references on writes.
    const configMap = rendered.find((r) => r.kind === "ConfigMap")! as Manifest & { data: Record<string, string> };
    for (const app of APPS) {
      const env = podSpec(rendered.find((r) => r.kind === "Deployment" && r.metadata.name === app)!)!.containers[0]!.env ?? [];
      for (const subgraph of SUBGRAPHS) {
        const name = `${subgraph.toUpperCase()}_URL`;
        const entry = env.find((e) => e.name === name);
        expect(entry, `${app} ${name}`).toBeDefined();
        const value = entry!.value ?? configMap.data[entry!.valueFrom?.configMapKeyRef?.key ?? ""];
        expect(value, `${app} ${name}`).toBeDefined();
        const url = new URL(value!);
        const service = rendered.find((r) => r.kind === "Service" && r.metadata.name === url.hostname) as
          | (Manifest & { spec: { ports: { port: number }[] } })
          | undefined;
        expect(service, `${app} ${name} → Service ${url.hostname}`).toBeDefined();
        expect(service!.spec.ports.map((p) => p.port)).toContain(Number(url.port));
        expect(service!.metadata.name).toBe(subgraph);
      }
    }
  });

  it("names only files that exist in every kustomization", () => {
    const kustomizations = files.filter((f) => f.endsWith("kustomization.yaml"));
    expect(kustomizations.map((f) => relative(root, dirname(f))).sort()).toEqual(["base", "overlays/dev", "overlays/production"]);
    // Every YAML file is used by some kustomization.
    const named = new Set<string>(kustomizations);
    for (const file of kustomizations) {
      const k = readYaml(file)[0] as Kustomization;
      for (const entry of [...(k.resources ?? []), ...(k.patches ?? []).map((p) => p.path)]) named.add(join(dirname(file), entry));
    }
    expect(files.filter((f) => !named.has(f)).map((f) => relative(root, f))).toEqual([]);
  });
});
