"""seckill_event refuses sold > total_stock (written by hand for SQLite and PostgreSQL).

The models are unchanged (aerich cannot express a CHECK constraint), so MODELS_STATE is the
previous migration's. PostgreSQL adds the constraint in place. SQLite cannot add one to an
existing table: the table is rebuilt with it (copy, drop, rename, indexes again, the
AUTOINCREMENT counter kept), with foreign keys off for the rebuild as SQLite's documented
procedure asks -- PRAGMA foreign_keys does nothing inside a transaction, hence
RUN_IN_TRANSACTION = False and the script's own BEGIN/COMMIT. Rows that already break the
rule make the copy fail and the migration stop, committing nothing.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = False

SQL = {
    "sqlite": ('\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE "seckill_event_new" (\n    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n    "price" VARCHAR(40) NOT NULL,\n    "total_stock" INT NOT NULL,\n    "sold" INT NOT NULL,\n    "starts_at" TIMESTAMP NOT NULL,\n    "ends_at" TIMESTAMP NOT NULL,\n    "per_user_limit" INT NOT NULL,\n    "created_at" TIMESTAMP NOT NULL,\n    "product_id" BIGINT NOT NULL REFERENCES "catalog_product" ("id") ON DELETE RESTRICT,\n    "closed_at" TIMESTAMP,\n    CONSTRAINT "seckill_event_sold_within_stock" CHECK ("sold" <= "total_stock")\n) /* A flash sale: `total_stock` units of a product at `price` between `starts_at` and `ends_at`. */;\nINSERT INTO "seckill_event_new" ("id", "price", "total_stock", "sold", "starts_at", "ends_at", "per_user_limit", "created_at", "product_id", "closed_at")\n    SELECT "id", "price", "total_stock", "sold", "starts_at", "ends_at", "per_user_limit", "created_at", "product_id", "closed_at" FROM "seckill_event";\nDELETE FROM sqlite_sequence WHERE name = \'seckill_event_new\';\nINSERT INTO sqlite_sequence (name, seq)\n    SELECT \'seckill_event_new\', seq FROM sqlite_sequence WHERE name = \'seckill_event\';\nDROP TABLE "seckill_event";\nALTER TABLE "seckill_event_new" RENAME TO "seckill_event";\nCREATE INDEX IF NOT EXISTS "idx_seckill_eve_starts__917ff7" ON "seckill_event" ("starts_at");\nCREATE INDEX IF NOT EXISTS "idx_seckill_eve_ends_at_800e5f" ON "seckill_event" ("ends_at");\nCOMMIT;\nPRAGMA foreign_keys = ON;', '\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE "seckill_event_new" (\n    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n    "price" VARCHAR(40) NOT NULL,\n    "total_stock" INT NOT NULL,\n    "sold" INT NOT NULL,\n    "starts_at" TIMESTAMP NOT NULL,\n    "ends_at" TIMESTAMP NOT NULL,\n    "per_user_limit" INT NOT NULL,\n    "created_at" TIMESTAMP NOT NULL,\n    "product_id" BIGINT NOT NULL REFERENCES "catalog_product" ("id") ON DELETE RESTRICT,\n    "closed_at" TIMESTAMP\n) /* A flash sale: `total_stock` units of a product at `price` between `starts_at` and `ends_at`. */;\nINSERT INTO "seckill_event_new" ("id", "price", "total_stock", "sold", "starts_at", "ends_at", "per_user_limit", "created_at", "product_id", "closed_at")\n    SELECT "id", "price", "total_stock", "sold", "starts_at", "ends_at", "per_user_limit", "created_at", "product_id", "closed_at" FROM "seckill_event";\nDELETE FROM sqlite_sequence WHERE name = \'seckill_event_new\';\nINSERT INTO sqlite_sequence (name, seq)\n    SELECT \'seckill_event_new\', seq FROM sqlite_sequence WHERE name = \'seckill_event\';\nDROP TABLE "seckill_event";\nALTER TABLE "seckill_event_new" RENAME TO "seckill_event";\nCREATE INDEX IF NOT EXISTS "idx_seckill_eve_starts__917ff7" ON "seckill_event" ("starts_at");\nCREATE INDEX IF NOT EXISTS "idx_seckill_eve_ends_at_800e5f" ON "seckill_event" ("ends_at");\nCOMMIT;\nPRAGMA foreign_keys = ON;'),
    "postgres": (
        'ALTER TABLE "seckill_event" ADD CONSTRAINT "seckill_event_sold_within_stock" '
        'CHECK ("sold" <= "total_stock");',
        'ALTER TABLE "seckill_event" DROP CONSTRAINT IF EXISTS "seckill_event_sold_within_stock";',
    ),
}


def _dialect(db: BaseDBAsyncClient) -> str:
    return "postgres" if "postgres" in db.capabilities.dialect else db.capabilities.dialect


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[_dialect(db)][0]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return SQL[_dialect(db)][1]


MODELS_STATE = (
    "eJztXdty2zgS/RWUXuJUaVyxfEnWeZJlZaId39aWdzITT9EwCUsoUyCHhOyoZvPvC4AX8Q"
    "JSpETJFI2XhCbRIHUaBLtPNxr/tCaWgUx39xo9OsgdD60nRFrH4J8WgRPEDqTX26AFbXt+"
    "lZ+g8MEUAlDXrSmhruZ4IhoNZR5c6kCdslaP0HQRO2UgV3ewTbHF79rqEmDZ8O8pAr4wEM"
    "Jt4FLLQQYYQ3eMjM/eWRdYj8AiCJjWCBPgjqGDAGRdT7A52+U3NCyd3RGT0Rr6nhLM+mI/"
    "boToGDnsDt//YqcxMdAP5AZ/2k/aI0amEYMUG7wDcV6jM1ucO8GjAaFfRFv+5A+abpnTCZ"
    "m3t2d0bJFQABPKz44QQQ6kiN+BOlOOKZmapq+MAGbvYedNvKeMyBjoEU5Nrhku7T3A/FxL"
    "0y4uh9pNf6hprZTWAokI2P4p3SJc4+xRXQHAiD/CL//qdPb3P3Y+7B99Ojz4+PHw04dPrK"
    "143vSljz+9h5mj5XUlMBv8OrgY8gey2LDyRh8/8VPIQAo9KaGMOfpCvxrXdloLPaZnuQ7i"
    "UgldsB+Z1EWAfH2VMYE/NBORER2zP48OcnD+b/e697V7vXN08D4O9oV/pSMucdjnMHuvSh"
    "mI5xLVwBucqAO++50C+O53MvHll+L46g7iWGiQpjE+ZVconiA5znHJBNaGL7obHFSD/Hy+"
    "3wT07Acal4SNJU/lOdAPB+f9m2H3/IrfbuK6f5sCv+6wz690xNlZ4uzOUUJNYSfg98HwK+"
    "B/gj8vL/oCXsulI0fccd5u+GeLPxOcUksj1osGjcjoDM4GqMW0jn7YmPW2hNbjkg3U+pZo"
    "OcAkV81Td6k3OyJWgYL98aj0W71+HfTM7IllVByXVFqus5bZ6+hoZY39iNBii38LpuXNGf"
    "3c33p8ktr8HNS0Gr4wvw+PyG9oJlQxYM8NiY4k0PtO8K3fzZap4GcwxoKz89fegS+hgxod"
    "euy3s1+MqGeyd2963dN+SyD8APWnF+gYWgxqfsXqWIkzYdv0pUlnkjwDCRwJcPiv4M8cRV"
    "1CSQTaKEBFBPpfyEBkY6r8/Rq/+u0cfx9NIDbL+KGhQOO8/M5hETeftcr0Q8W1uCNqQ9d9"
    "sdhLXpZSSQmuy+3f7PcugfhhIcQPcxA/TCLuWCaSA90n00nqWxa3H33ZzWHd6t3eDC/P+9"
    "etcoiHcscgOLoj3dPzwcUxEP8lGd4i+tg7KqCOvaTRONcGvxRXBmYutU7xs0QjJxYDG5KM"
    "ST4ql9DGAxNclzqC2WeztvvJ5eVZzGw/GSQm8ovb85M+w15AzxphGpvfE/ytqz1DEzM36J"
    "HKLLt8H0reg/Kl6uxLKboze4ZrLt05tY0ltR6XVFqvi9YlL7t4+pTznu1rRmm0SITZlXyA"
    "ffkvv10jEwqE04MhI8C9ZcMhy8ePvU4u0p+waWoU60+IrgjYjdfZUPTVVMSYe4KcFYG65H"
    "00GiANPSOy6ngSMPV5R1traaWhKsWLRawd6Ei+eAGalwQNLfbPYkx7fj8NQrMEcdhjv3hk"
    "ObOWhDwMr7XzCEQdUmhaI02PtlYc4pvjEMX/Kfyzqa2gfQMZrb0PH4pQKB8+ZHMo/Frcp3"
    "fN6agMvkH7xjG0e51C6HZy0O2k0FW+czb62+lFFfGdbegwW6p0/DkmtlQEerE10cwPSE78"
    "2QO1ggh01GzZKjUUjUHHhl8sCs2eAFzcnp3lhaEjc94Ym4bjufLL+ySVwl0PGzo2RTiWMd"
    "VXddyuvF4ahNE6sxkCtCQ+SQTIxS6JHWm8eF0FcJGnBYApmuyCe5da+tM9IMxzd8DIQi47"
    "HEEejwI7EPS+9nu/gTkwABPAPBYwwSNHjIb3kvUV1d/jjtwRHxQX8BUYXlfenGCAHUE+AB"
    "MT1rWDHhF733XEO5m8Pwb3fjNmvNyDMWaIiAUdvIfZC/O+kFrGUfcvanuLXLJXzOoo5JF1"
    "cjyyjvLIstEt5JF1cjyyTtojiz5ZCuQh+pExgyTENpjD0VrvJ1jqb/W/DWOuVoDoznn32/"
    "uYu3V2efFr0Dyigd7Z5UkyWcnBumTaOEU6nkAzwyMKZJL+rye06wtv3zSSA/5pvzc4757t"
    "7HXanURGRqCFgzTPMHX4F7jUoq+ozCZzki7+WNeQTiz8KrLuK3vZV2pa5iZVGt9MmyNsv7"
    "lc8g/rNTs6ewcfDz7tHx2E1kZ4Js/ISOcRYVezpw8m5qt+JYbcgtytmOja0rdSs8HWZ2/N"
    "jfKyXGRcUmVr1SeBY9uztTZqXDaXcFbJWk3TelayVuxV9ynS0oGGhKAKNVQTaoimKqhgQ3"
    "6wITEEVwg3MAdwhKrh0Qe8qy2c40plIFaRMOYnIBZNGdtKvHgimCYI7lUDWQ49Y900FScv"
    "DbECoEQWYtOQ2kA8y5u1soNa4axWOLKl4VCkSN2wqW1a0EAGsLFOpw76DO4fsYnuASQGuK"
    "fj6eSBQGzeiziSDenYBVPCw0ci5oQMDIGBHaRT9j2QFg+r/AYq9FRjC6udE3riai/DcQbt"
    "G5gNuJb1reG7VAbkmFADIiMbwBmaEk89G2G/efOwXUf8lHnZWB7ey868i4gouj5JHL9gg0"
    "rKC2SiGbZXUCahHCM8Gkte/Uws5wIKzCSY20V1K9azGq479FHKZlfH5Nb1NjXTJM/Lr54n"
    "Q67IeRZPZq2ZHgonWMdGYJ3qfMX4PAmTkOT7spmEGMtYkEEAjyZ0x8CFJjpm7rxFoan5Ca"
    "xMw1QUBIfARw9ACu5FXtA9eHSsCc91hQ51Ra4ptcA9Iob4Q5Ymu54b8VzZ4Rj5fXAOQofO"
    "MzKANaW8S85C+J2+c4G4IXgZIy/nVgAFsAv8b9Jndh/LNO6BVz/tjtCw5zHTJXiYAZOn8X"
    "rLo8GODTG7kQPgC2QmLBkBG84mrMv3u+D3+D3G0AXsmdlzQWLciXzeGWDzMnKeBTPHH8Jm"
    "fWKXPUYb3Oum5fo5vOyKi6igW3h/TIh6WcV8+HEwIj9RESx1n83bOQRL7bP06pIYslSaXm"
    "TKKeEDJKSaVJu0Ml+Az5klIA2aK6cqBWTwkSvrU8UEm5c9tCUeVKEcMd9yKavhiJjSb531"
    "y6w4UXdXM/EEl2Gb0oKbmyD3tmSCVKxTNtTNZZ1CZ6i00qOCKnW61tNmrZnF1zDPFbX42o"
    "qogFu8Zi/G9aA3LJZOqQoU1rFAYT1n/c2mu8UHVTZLPR91i2lqOm9bgKcO2dEobcp5VmyK"
    "2gfgxXKekCOYVmJR8OJgShEBmIIZom0AgXc/weDymgjmDGAi4anXcyOPSxZk8DsXXCMDu8"
    "BExoh1xJldbry5gPX4n9v+bf80i8f93gq5/WBvDzbp/LUKvZud+CL9pG7/yvaDImkvB9lZ"
    "LwGzmM3j/j2FhGIqWYuQacZERZpkxFRJjdGpZMIvtv3DXLrOyYgt7+U/9ieBO3Jz2+v1+6"
    "f8VHh4R750B2f8lPd/cgYr8grsFdmWcy97W8691LacjxCbUwdpbB5zZdlfedufJiWXUlHN"
    "PtIbSLXzvk5L7qYXE20gG9Ik11iRXtmvWXNJL2HolaZDolJNsiM2EplXW1jWAHpvSVtZ7K"
    "NSlSypfiPpKDkMYOhprsj/NXS9ajtBAkZn3gwKMDnDVADuG92atQitmqbDEpNMGv5gh4mC"
    "4C9LIL7q3FIU+uiMWqRCwEr0otiwQ7pdhbOwLqxDtWDfkEIVYdn7hYxfMAHu2LJt5Lxzec"
    "oobYMnZIfVWDm38wBdBFwL6GM2g/F0Uh0SgCY2nXGuD1JrgnVomrJls+u6i0rtrPG3tJ1D"
    "CaoiQdkK2k4fTuK6p6JU9XAj3sjrlzJli0RcVY2RgqHERZZrSdNpWbt1K0ynLKtVvtBoZc"
    "NJDL4M4ykYmAsMKDNoVukmX9/DDd2CbJKVIpXKWtmUtaICmCp1VVmAlaSu8tm1fIlIR3H4"
    "KxPJKqO0Dkb4os1dl6jOWWhv17qpoKjtGHn35bajZIhXgOqbTtJ95QIAHo0sMeBDfjnbev"
    "fyYLWQz67agJ9nGaKJbVG+ZYX2hGYpQ/57JMUK/bAx+4Jye+UvZeDX0sAn08mDzIvP2Ucq"
    "lGhcQuh+kWy4/exsuP1UNtz2JSu2rvoXp4OLX7Wr7h/nfW9AlclcTIgfg8SJO3LVHZyy0+"
    "zfO3LzdXB1JbIavYM70rs8vzrrD/m58JCd7V70+mci2TE8vCP9b1eDa37OP7gj1/0vtxci"
    "TTI4SoZkimXpFUrSy8nRk5YckLh7eQUdQhlV0AFFgVf7LhWay4pMZcX3XUp+9ksgLRFtXm"
    "Lv0UEBvI8OMgHnl7aZJlJbyKgtZJTWl4wO8+phS6g8IqaWtNdHvZIM7rkfXFLFccmNaFmV"
    "e1lOybGai6W5Zpn0mnaEaijhXL90mzcDfQ7Xr7Kbq8luzpxpKgC3ZF5+zWaYohjLZtgVKn"
    "RUsYGXoPWbthwiNlTVhlSLMfJLBa+6eZ7XS5NAKhVqS0+P86oiclSDRMXqC+lsyQz5c5nw"
    "ZGZ18vhktjBQWaY0uW0jYvwi6qeMscv3DxM1wolXfltU8+aBkmPwMrbAxOJFvzFte/XCX8"
    "aQHVLLP+AVvyXLNNZxB7VEo8YmazsnJsq1qq0WuUt0UWO+WwXsMgJ2K46AWAe1rjWjBoBs"
    "AJSvX7Ni3Zrl4ombCSaupWzNdgW4VKyjmggX5Pu/lubmolKKFl2WFn2lihq1e7vqQIxmFB"
    "4oTd4VLT1QNyWsXH1Amgct5onN8c01m1WKYhqdTYtUdNhsAnTWKsYYEbiQXyi8kJEXevX3"
    "GuMyzIHHdAz4vUU9Vr7pFxB7KwEd2nzfc4PvSRYUaZCVfFi1O0Uc1HhKb+cQB8HKAvF3Cc"
    "8hKVdnd7FOHgR/mbRl9kqLC6r8WhRVQjq/Vq0Crn4VsLLF1YrQt6UA5QwtmrArdobUotCN"
    "7dyyTqcoiOxLXKJI0D/bIQryCzQ70nqhV3RJmMNCKa8/x2ObTDYMhwI6dqzpaOzt0vyM2a"
    "nPooodnPDdkvk+xfyvIHQq1jGl/aR13EC6cjXoQgxv/1hz0CPi639Q7gLWCNGsFrDW1ucK"
    "tVvC35qPiOb5WmoZ6zyqWTI+FoiFQdBiW29UFcbcOyqgub1k9CayHcdRUnPejFnSPZ4LKd"
    "d4gWu8PUtPNzf9VLvyVPLJXmKqj0vXOB9nSdD3Op+KTB2dTzlb+XxKQQ9n2tSRrFvPwXsu"
    "0rgsiMNCHOZhDod5mOYwLRsRbUkyKCmq9jtYjg5SmSjZCmluJopaa900rUvWaaZWW7iIUn"
    "Mprccl1Yrr+ig5/W7XN7rSzK/pdnH7dSwVnkntl1uW+IIexpb1VM1ist+9zrZ2Kstfd8c8"
    "wikxVkTqWnSyhZ/4albdLRfKCMZVdkQjMvIKBDZeIq0XBjb6z8iZAajryOZbe/uybfDAt9"
    "nhG3mzWegYQOAgdkMsGmOX/aVbI4JdJsEa8uiDy1O6DDxCriQJbF03WRjgED2r6vr1+TK2"
    "VezidWMX3htRAuFQoIHwroUmfLCMmeZNUmVwTog1EO3qiwI6yLYcTj2sFpGTdFNn+BsXlW"
    "MfeoSX3bE9JqrIp7rwEkUoR99iLZ93GJNTC+AqoiYiCVGrJsgVrr5SMz0Uzo+LjcBaLRry"
    "XXCJMzl3zgs4kc688UIf8twiaAZGbB4mgP+IMGGN+2yBhQ52WCvwyB4WeH0Dm5307/c+7T"
    "NW1alaPlTj2aid4w6qXB2Vq6NydSrJ1ak36mvxwmtQob9mk/rafXFVIUZViFFOcoOc5JrF"
    "jt+sk1wzPVTgJL/2IrIbSIwH6wf/NolBlfKV4w3ahVxm15PR9LnQQtd5KKKaQi50at+5wH"
    "ohwETGCDnHoo6mWAs2pS67PPd9nxCyWVMiYqj8UtqJrrb7O3JHvpjQHZ9Dh/JuxOo0nUEC"
    "CHpmh3wWdln7z0DUDr1/5I0nrPFuANKu/zT3wLCQqxz0us+E7RwHfSmvZg3OTKPN6gly2H"
    "zCZtGl0JZLK9iLw162eE1KsIkOeyHvZi/Hu9mTrPwQGX/lN2BNyjUQ7+qzQBS3qrjV7eZW"
    "1Rrs7c324IG65ewZmWzzVq+ug5wVuJUkwuNSCufFOCuKNhv65lK03P4xltJ6XFItoqvbIr"
    "oUEfw6dGUXOVgftyQ8pX+lnUdQwnmbRXxktmIrZuneCkW3YoHMbPLtGTkuLhdvjYg00L/o"
    "HB4WCbkeHmaHXPm1hJ/MXqoSCPvNG4juWigfdkcqjaX9++byIsNMmoskv5ZYp+B/wMTuFh"
    "dmlIHLwYh9IwNMd86735Jw984uT5IfP97BiSyqucmP2c//A5/J+Wk="
)
