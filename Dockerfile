# syntax=docker/dockerfile:1
# One image for every role: docker run yhdyspinta gateway|organisations|groups|planning|migrate

FROM node:22-slim AS build
RUN npm install --global pnpm@10.34.9
WORKDIR /src
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY packages/core/package.json packages/core/
COPY packages/stack/package.json packages/stack/
COPY packages/web/package.json packages/web/
COPY views/package.json views/
COPY bench/package.json bench/
COPY services/organisations/package.json services/organisations/
COPY services/groups/package.json services/groups/
COPY services/planning/package.json services/planning/
COPY gateway/package.json gateway/
RUN pnpm install --frozen-lockfile --filter "./packages/*" --filter "./services/*" --filter ./gateway --filter ./views --filter ./bench --filter yhdyspinta
COPY tsconfig.json ./
COPY packages packages
COPY services services
COPY gateway gateway
COPY views views
COPY bench/tsconfig.build.json bench/
COPY bench/src/generate.ts bench/src/
COPY schema/supergraph.graphql schema/public-supergraph.graphql schema/
RUN pnpm build \
 && rm -rf node_modules packages/*/node_modules services/*/node_modules gateway/node_modules views/node_modules bench/node_modules \
 && pnpm install --frozen-lockfile --prod --filter "./services/*" --filter ./gateway

FROM node:22-slim
ENV NODE_ENV=production HOST=0.0.0.0 NODE_OPTIONS=--experimental-async-context-frame
WORKDIR /app
RUN groupadd --gid 10001 yhdyspinta && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin yhdyspinta
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/packages packages
COPY --from=build /src/services services
COPY --from=build /src/gateway gateway
COPY --from=build /src/views views
COPY --from=build /src/schema/supergraph.graphql /src/schema/public-supergraph.graphql schema/
COPY --from=build /src/package.json ./
COPY deploy/docker-entrypoint.sh deploy/
USER 10001:10001
EXPOSE 4000 4001 4002 4003
ENTRYPOINT ["/app/deploy/docker-entrypoint.sh"]
CMD ["gateway"]
