// The lines along one dimension of N same-shaped operands (softmax rows, scan lines): where each line starts in
// every operand, how many there are, their length and each operand's stride along the dimension.
#pragma once
#include "loops.cuh"

namespace pst {

template <int N> struct RowPlan {
    StridedIndexer<N> rows;  // row index -> each operand's offset of the row's first element
    int64_t row_count;
    int64_t length;
    int64_t along[N];        // each operand's stride along dim
};

template <int N> RowPlan<N> make_row_plan(const pst_tensor* const (&operands)[N], int dim) {
    pst_tensor without[N];
    const pst_tensor* pointers[N];
    RowPlan<N> plan{};
    for (int k = 0; k < N; ++k) {
        without[k] = pst_tensor{};
        for (int d = 0; d < operands[k]->ndim; ++d) {
            if (d == dim) continue;
            int i = without[k].ndim++;
            without[k].sizes[i] = operands[k]->sizes[d];
            without[k].strides[i] = operands[k]->strides[d];
        }
        pointers[k] = &without[k];
        plan.along[k] = operands[k]->strides[dim];
    }
    plan.rows = make_indexer(pointers);
    plan.row_count = numel(without[0]);
    plan.length = operands[0]->sizes[dim];
    return plan;
}

}  // namespace pst
