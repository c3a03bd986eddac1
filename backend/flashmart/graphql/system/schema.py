from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from flashmart.core import system
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError, UserErrorsExtension
from flashmart.graphql.permissions import IsAdmin


@strawberry.type(description="Health of the background job pipeline.")
class SystemStatus:
    worker_alive: bool = strawberry.field(description="A worker reported in recently.")
    queue_depth: int = strawberry.field(
        description="Jobs in the queue: due now and scheduled for later (each unpaid order's "
        "expiry waits there until its payment window closes)."
    )
    jobs_due: int = strawberry.field(
        description="Jobs in the queue whose time has come: what the workers have yet to run."
    )
    last_ping_at: datetime | None = strawberry.field(
        description="When a worker last ran a `systemPing` job."
    )


@strawberry.type
class SystemPingPayload:
    job_id: str | None
    user_errors: list[UserError]


@strawberry.type
class SystemQueries:
    @strawberry.field(description="The server's clock; clients sync countdowns to it.")
    def server_time(self) -> datetime:
        return datetime.now(UTC)

    @strawberry.field(permission_classes=[IsAdmin], description="Worker and queue health.")
    async def system_status(self, info: Info) -> SystemStatus:
        runtime = info.context.runtime
        status = await system.worker_status(runtime.queue, runtime.keys)
        last = status.last_ping_at
        return SystemStatus(
            worker_alive=status.worker_alive,
            queue_depth=status.queue_depth,
            jobs_due=status.jobs_due,
            last_ping_at=datetime.fromtimestamp(last, UTC) if last is not None else None,
        )


@strawberry.type
class SystemMutations:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Enqueue a job that a worker answers by stamping `systemStatus.lastPingAt`.",
    )
    async def system_ping(self, info: Info) -> SystemPingPayload:
        job_id = await system.enqueue_ping(info.context.runtime.queue)
        return SystemPingPayload(job_id=job_id, user_errors=[])
