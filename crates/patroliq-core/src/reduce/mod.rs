//! Dimensionality reduction of the feature matrix: PCA (t-SNE and UMAP maps are to come, issue 5).

pub mod pca;
