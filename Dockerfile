# One image for every BuilderAI process; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages packages
COPY subgraphs subgraphs
COPY router router
COPY platform platform
COPY sdk sdk
COPY prisma prisma
COPY scripts scripts
COPY supergraph.yaml codegen.ts tsconfig.json ./
RUN npm ci --no-audit --no-fund
ENV NODE_ENV=production
EXPOSE 4000
CMD ["npm", "start"]
