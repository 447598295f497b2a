# syntax=docker/dockerfile:1
# Production image: gunicorn serving Django, static files served by whitenoise.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /venv
COPY requirements/base.lock requirements/base.lock
RUN /venv/bin/pip install --require-hashes -r requirements/base.lock
COPY . .
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only /venv/bin/python manage.py collectstatic --no-input -v 0 \
    && /venv/bin/pybabel -q compile --domain django --directory locale --use-fuzzy \
    && rm -rf tests .ci docs

FROM python:${PYTHON_VERSION}-slim
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 DJANGO_DEBUG=0
RUN useradd --create-home --uid 10001 expertisekaart
COPY --from=build /venv /venv
COPY --from=build --chown=expertisekaart:expertisekaart /app /app
WORKDIR /app
USER expertisekaart
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]
# gunicorn.conf.py: bind 0.0.0.0:8000, WEB_CONCURRENCY workers (3), access log without secrets.
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
