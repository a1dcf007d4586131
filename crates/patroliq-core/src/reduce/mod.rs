//! Dimensionality reduction of the feature matrix: PCA of every row, and t-SNE and UMAP maps of
//! a sample ([`embed`]).

pub mod embed;
pub mod fft_repulsion;
pub mod knn;
pub mod nndescent;
pub mod pca;
pub mod tsne;
pub mod umap;
