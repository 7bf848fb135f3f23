# Build the binaries (daemon, worker, dashboard), then run them on a slim base as a non-root user.
FROM rust:1.88-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p supervisor -p worker

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /var/lib/rebalancer rebalancer \
 && mkdir -p /var/lib/rebalancer /run/rebalancer /etc/rebalancer \
 && chown rebalancer:rebalancer /var/lib/rebalancer /run/rebalancer \
 && chmod 0700 /var/lib/rebalancer /run/rebalancer
COPY --from=build /src/target/release/supervisor /src/target/release/worker /src/target/release/dashboard /usr/local/bin/
USER rebalancer
WORKDIR /etc/rebalancer
ENV TRADING_MODE=paper \
    REBALANCER_CONFIG=/etc/rebalancer/config.yaml \
    REBALANCER_SOCKET=/run/rebalancer/supervisor.sock
VOLUME ["/var/lib/rebalancer"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["supervisor", "status", "--check"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["supervisor"]
# config.yaml from REBALANCER_CONFIG, accounts.yaml from the working directory, so that
# `docker compose run --rm supervisor check` checks the same files the daemon runs with.
CMD ["run"]
