"""API: industry-cluster warnings (cluster rulebooks such as 宣恩)."""

from __future__ import annotations

from fastapi import APIRouter

from wagewatch.web.clusters.schemas import ClusterBoard
from wagewatch.web.clusters.service import cluster_board
from wagewatch.web.context import CurrentUser, Db, Rb

__all__ = ["router"]

router = APIRouter(tags=["行业集群预警"])


@router.get("/clusters", response_model=ClusterBoard | None, summary="行业集群预警")
def clusters(db: Db, user: CurrentUser, rb: Rb) -> ClusterBoard | None:
    """Current cluster warnings with disposal steps; null when the rulebook grades enterprises."""
    return cluster_board(db, user, rb)
