"""OR-Tools' reference tour for the patrol-route test.

Reads the distance matrix that `patroliq route --matrix` wrote (the start + the 50 riskiest
250 m cells of the real sample, Manhattan metres on the street grid) and solves the closed tour
from the start with OR-Tools' routing solver: path-cheapest-arc, then guided local search for
a fixed time. Writes the tour and its length (on the unrounded matrix) beside the matrix, for
crates/patroliq-core/tests/route_reference.rs.

Usage: route_reference.py MATRIX.json OUT.json [SECONDS]
"""

import json
import sys

from ortools.constraint_solver import pywrapcp, routing_enums_pb2


def main() -> None:
    matrix_path, out_path = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    with open(matrix_path) as f:
        m = json.load(f)
    n, dist = m["n"], m["distance_m"]
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    def cost(i: int, j: int) -> int:
        # OR-Tools wants integers: decimetres keep the rounding far below 1 %.
        return round(10 * dist[manager.IndexToNode(i) * n + manager.IndexToNode(j)])

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.seconds = seconds
    solution = routing.SolveWithParameters(params)
    if solution is None:
        sys.exit("OR-Tools found no tour")
    tour, i = [], routing.Start(0)
    while not routing.IsEnd(i):
        tour.append(manager.IndexToNode(i))
        i = solution.Value(routing.NextVar(i))
    length = sum(dist[a * n + b] for a, b in zip(tour, tour[1:] + tour[:1]))
    with open(out_path, "w") as f:
        json.dump({"n": n, "tour": tour, "distance_m": length, "seconds": seconds}, f)
    print(f"OR-Tools guided local search, {seconds} s: {length / 1000:.2f} km through {n - 1} stops")


if __name__ == "__main__":
    main()
