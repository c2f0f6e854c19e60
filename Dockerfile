# Build: docker build -t govshare .
# Run:   docker run -p 8080:8080 -v govshare-data:/data govshare
# Cluster: add -e GOVSHARE_DB_URL=... -e GOVSHARE_CLUSTER_MEMBERS=h1:5701,h2:5701 -e GOVSHARE_CLUSTER_HOST=<this host's address>
#          -p 5701:5701 (the event bus port is chosen freely: run with --network host for a cluster)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
# run as an unprivileged user; the data volume belongs to it. fontconfig and a font: the supervision charts draw text (AWT, headless)
RUN groupadd --system govshare && useradd --system --gid govshare --home /app govshare \
    && mkdir -p /data /app && chown govshare:govshare /data /app \
    && apt-get update && apt-get install -y --no-install-recommends curl fontconfig fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/govshare.jar /app/govshare.jar
COPY --from=build /src/conf /app/conf
USER govshare
ENV GOVSHARE_DATA_DIR=/data \
    GOVSHARE_HTTP_PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
VOLUME ["/data"]
EXPOSE 8080 5701
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
# exec form via sh so JAVA_OPTS expands and SIGTERM reaches the JVM (graceful shutdown)
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/govshare.jar"]
