"""The usual approach, as a reference for the benchmark: page through the API, flatten each
document with pandas.json_normalize, and write it with DataFrame.to_sql(chunksize=5000)
through SQLAlchemy (psycopg2). Lists and objects left after flattening are written as JSON text.

    python pandas_load.py API_URL DATABASE_URL [PAGE_SIZE]

Prints one JSON line: {"launches": n, "payloads": n, "documents": n, "seconds": s}.
"""
import json
import sys
import time
import urllib.request

import pandas as pd
from sqlalchemy import create_engine

api, database_url = sys.argv[1].rstrip("/"), sys.argv[2]
page_size = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
engine = create_engine(database_url.replace("postgres://", "postgresql+psycopg2://", 1))


def pages(path):
    page = 1
    while True:
        body = json.dumps({"query": {}, "options": {"page": page, "limit": page_size}}).encode()
        request = urllib.request.Request(api + path, data=body, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request) as response:
            result = json.load(response)
        yield result["docs"]
        if not result.get("hasNextPage"):
            return
        page += 1


def to_cell(value):
    return json.dumps(value) if isinstance(value, (list, dict)) else value


def load(path, table):
    count = 0
    first = True
    for docs in pages(path):
        if not docs:
            continue
        frame = pd.json_normalize(docs)
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(to_cell)
        frame.to_sql(table, engine, if_exists="replace" if first else "append", index=False, chunksize=5000)
        first = False
        count += len(docs)
    return count


started = time.perf_counter()
payloads = load("/v4/payloads/query", "pandas_payloads")
launches = load("/v5/launches/query", "pandas_launches")
seconds = time.perf_counter() - started
print(json.dumps({"launches": launches, "payloads": payloads, "documents": launches + payloads, "seconds": seconds}))
