# Builds the same way as `make install`: styles with Node, then the app with pip and the constraints.
FROM node:20-bookworm-slim AS styles
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN mkdir -p static/build && npm run build

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libcairo2 libmagic1 fonts-liberation \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home app
WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements requirements
COPY config config
COPY partnerships partnerships
COPY membership membership
COPY meetings meetings
COPY reports reports
RUN pip install --no-cache-dir -c requirements/constraints.txt .
COPY manage.py ./
COPY templates templates
COPY docs/examples docs/examples
COPY --from=styles /app/static/build static/build
# collectstatic needs settings but no database or real key.
RUN DEBUG=1 python manage.py collectstatic --no-input
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
