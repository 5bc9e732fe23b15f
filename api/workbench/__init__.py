"""The ops review workbench: server-rendered pages under /workbench (no front-end build)."""

from fastapi import APIRouter

from api.workbench import items, pages

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(items.router)
