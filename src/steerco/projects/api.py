from ninja import Router

project_router = Router(tags=["projects"])
portfolio_router = Router(tags=["portfolios"])
