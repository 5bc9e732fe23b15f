FROM python:3.11-slim-bookworm

# OCR and PDF rasterising: tesseract with the six invoice languages, poppler for pdf2image;
# tesserocr is built against this libtesseract (the same engine, kept loaded in memory).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
    tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-spa tesseract-ocr-ita \
    poppler-utils libtesseract-dev libleptonica-dev pkg-config g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY cli.py ./
COPY models ./models
COPY ingest ./ingest
COPY extract ./extract
COPY review ./review
COPY billing ./billing
COPY api ./api
RUN PIP_NO_BINARY=tesserocr pip install --no-cache-dir .

# Debian's tesseract uses OpenMP, which is several times slower on small machines.
ENV OMP_THREAD_LIMIT=1 \
    CASAPAY_DATA_DIR=/data \
    CASAPAY_API_HOST=0.0.0.0 \
    CASAPAY_SMTP_HOST=0.0.0.0
VOLUME /data
EXPOSE 8000 2525
RUN useradd --create-home casapay && mkdir -p /data && chown casapay /data
USER casapay
CMD ["casapay", "serve"]
