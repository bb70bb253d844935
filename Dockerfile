# syntax=docker/dockerfile:1
# Multi-stage: build everything with dev dependencies, then keep only the API's production install (pnpm deploy
# --prod), the built SPA and the migrations. .ci/production-install makes the same install without Docker.
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@10
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && TURBO_TELEMETRY_DISABLED=1 pnpm exec turbo run build --filter=@switchboard/api --filter=@switchboard/web \
 && pnpm --filter @switchboard/api deploy --prod --legacy /out/api \
 && cp -r apps/api/dist /out/api/dist \
 && mkdir -p /out/web /out/prisma \
 && cp -r apps/web/dist /out/web/dist \
 && cp -r prisma/migrations /out/prisma/migrations

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data \
    NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=256"
WORKDIR /app/api
COPY --from=build --chown=node:node /out /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The API by default; `node dist/worker.js` runs a scale-out delivery worker from the same image.
CMD ["node", "dist/main.js"]
