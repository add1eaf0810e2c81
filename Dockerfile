# One image for every process of the platform (gateway, trainer, simulator, Celery workers,
# migrations); docker-compose.yml picks the command. Build: docker build -t tradelab .

# The dashboard is built in its own stage, so the image carries the built app, not Node.
FROM node:20-slim AS dashboard
WORKDIR /dashboard
COPY dashboard/package.json dashboard/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY dashboard ./
RUN npm run build

FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so that code changes do not reinstall them.
# torch comes from PyTorch's own index: the CPU build by default (PyPI's Linux wheel is a
# multi-GB CUDA build); docker-compose.gpu.yml passes a CUDA index for the GPU worker's image.
# xgboost's PyPI wheel runs on both.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --extra-index-url "$TORCH_INDEX" -r /tmp/requirements.txt

# Extra packages for a specialised image, e.g. the GPU worker's torch (docker-compose.gpu.yml).
ARG EXTRA_PIP=""
RUN if [ -n "$EXTRA_PIP" ]; then pip install $EXTRA_PIP; fi

COPY README.md ./
COPY shared ./shared
COPY gateway ./gateway
COPY trainer ./trainer
COPY simulator ./simulator
RUN pip install --no-deps . \
    && python -m shared.sim.warmup  # compile the backtest and sweep kernels once into numba's cache
# Served by the gateway at / (the placeholder page only answers where dist/ is missing).
COPY dashboard/placeholder ./dashboard/placeholder
COPY --from=dashboard /dashboard/dist ./dashboard/dist

# Run as a non-root user; /var/lib/tradelab is the mount point of the shared data volume.
RUN useradd --create-home --uid 10001 tradelab \
    && mkdir -p /var/lib/tradelab /var/log/tradelab \
    && chown tradelab:tradelab /var/lib/tradelab /var/log/tradelab
USER tradelab
ENV VAR_DIR=/var/lib/tradelab LOG_DIR=/var/log/tradelab

EXPOSE 8000 8001 8002
CMD ["uvicorn", "gateway.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
