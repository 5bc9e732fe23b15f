"""The ops review workbench: server-rendered pages under /workbench (no front-end build)."""

from fastapi import APIRouter

from api.workbench import duplicates, items, pages, rules_page

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(items.router)
router.include_router(duplicates.router)
router.include_router(rules_page.router)
