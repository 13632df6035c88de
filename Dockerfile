# Telephony media-stream bridge. Two stages: the build stage compiles TypeScript with the dev
# dependencies and then prunes them; the runtime stage gets only dist/, the production
# node_modules, the questionnaires and package.json, and runs as an unprivileged user.
#
#   docker build -t telephony-bridge .
#   docker run -p 8080:8080 -v bridge-data:/data \
#     -e TWILIO_AUTH_TOKEN=… -e MAQSAM_TOKEN=… -e PUBLIC_URL=https://bridge.example.com telephony-bridge
#
# NODE_ENV=production refuses to start without TWILIO_AUTH_TOKEN and MAQSAM_TOKEN (README.md,
# "Deploying"); pass NODE_ENV=development to try the image without them.
# No BuildKit-only syntax, so the classic builder can build it too.

FROM node:20-bookworm-slim AS build
# NODE_ENV stays unset here: npm ci must install the dev dependencies (TypeScript) to build.
WORKDIR /app
# Dependencies first: this layer is reused until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build id /health reports (e.g. docker build --build-arg BUILD_ID=$(git rev-parse --short HEAD));
# without it the image says `dev` unless BUILD_ID is set when it runs.
ARG BUILD_ID=
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
# MALLOC_TRIM_THRESHOLD_: glibc's default (128 KiB), pinned. Left dynamic, it climbs with the
# largest block freed (the WebAssembly modules' bytes, compiler scratch), and every thread's heap
# then keeps that much free memory: ~50 MB of an idle bridge's RSS (README, Benchmark: idle).
ENV NODE_ENV=production \
    MALLOC_TRIM_THRESHOLD_=131072 \
    PORT=8080 \
    DATA_DIR=/data \
    QUESTIONNAIRES_DIR=/app/questionnaires
# A dedicated unprivileged user with a fixed uid/gid (10001), so volume permissions and
# Kubernetes' runAsNonRoot checks do not depend on the base image's users.
RUN groupadd --system --gid 10001 bridge \
 && useradd --system --uid 10001 --gid bridge --home-dir /app --no-create-home --shell /usr/sbin/nologin bridge \
 && mkdir -p /data \
 && chown bridge:bridge /data
WORKDIR /app
# Owned by root and read-only for the service: it writes only under /data.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY questionnaires ./questionnaires
# The embedded database with the call records (DATA_DIR/db) and the rendered prompt cache (DATA_DIR/prompt-cache). A named
# volume starts out owned by uid 10001; a bind-mounted host directory must be writable by it.
VOLUME /data
USER 10001:10001
EXPOSE 8080
# Liveness: /health answers as soon as the server listens (/ready is for load balancers: it waits
# for the prompt cache and turns 503 while draining). Slim images have no curl: use Node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains: /ready 503, no new calls, up to 30 s for calls in progress (stop timeout ≥ 40 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
