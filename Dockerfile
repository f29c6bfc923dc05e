# The ledger's API as an image: built with the SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t incident-ledger .
#   docker run -p 8080:8080 -e ConnectionStrings__Ledger="Host=…;Username=…;Password=…;Database=…" incident-ledger
# docker-compose.yml runs it next to PostgreSQL. The image holds no PostgreSQL server binaries, so it needs a connection string.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# npm installs the pinned GraphiQL assets the GraphQL server embeds at build time.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY schema/ schema/
COPY src/ src/
# The README's published-build command, with the image's folder as the output.
RUN dotnet publish src/IncidentLedger.Api -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl is for the health check only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Ledger__DataDirectory=/data
VOLUME /data
# The aspnet images ship the unprivileged user "app" (uid 1654).
USER app
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["curl", "-fsS", "http://127.0.0.1:8080/healthz/live"]
ENTRYPOINT ["dotnet", "IncidentLedger.Api.dll"]
